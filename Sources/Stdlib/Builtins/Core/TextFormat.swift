import Interpreter

/// `format(template, values…)`: `{}` placeholders filled in order, with an optional width and
/// alignment after a colon, as Python writes them: `{:<8}` left, `{:>6}` right, `{:^10}`
/// centred, `{:8}` left for text and right for numbers, `{:.<12}` padded with dots.
enum TextFormat {
  static func format(
    _ call: BuiltinCall, template templateArgument: BuiltinArgument,
    values valuesArgument: BuiltinArgument
  ) throws -> Value {
    let template = try call.string(templateArgument)
    let values = try call.rest(valuesArgument)
    var builder = TextBuilder()
    var next = 0
    var chars = template.makeIterator()
    while let char = chars.next() {
      switch char {
      case "{":
        switch chars.next() {
        case "{": builder.append("{")
        case "}":
          if next < values.count { builder.append(values[next]) }
          next += 1
        case ":":
          var spec = ""
          var closed = false
          while let c = chars.next() {
            if c == "}" {
              closed = true
              break
            }
            spec.append(c)
          }
          guard closed else {
            throw call.badArgument(
              templateArgument, "'{:\(spec)' is not closed: write {:\(spec)}")
          }
          let layout = try Layout(spec) { call.badArgument(templateArgument, $0) }
          if next < values.count { layout.append(values[next], to: &builder) }
          next += 1
        default:
          throw call.badArgument(
            templateArgument, "'{' must be followed by '}', ':' (a width: {:<8}) or '{'")
        }
      case "}":
        guard chars.next() == "}" else {
          throw call.badArgument(
            templateArgument, "single '}' in template; write '}}' for a brace")
        }
        builder.append("}")
      default: builder.append(String(char))
      }
    }
    if next != values.count {
      throw RuntimeError(
        "format template has \(next) placeholder\(next == 1 ? "" : "s") but \(values.count) value\(values.count == 1 ? " was" : "s were") given"
      )
    }
    return builder.value
  }

  /// A placeholder's `[[fill]align]width`.
  struct Layout {
    enum Alignment { case left, right, center }

    var fill: Character = " "
    var alignment: Alignment?
    var width = 0

    /// The largest width accepted (a typo such as `{:<80000000}` should not eat memory).
    static let maxWidth = 10_000

    /// Reads `spec`; `error` makes the error for a spec that is not a width.
    init(_ spec: String, error: (String) -> RuntimeError) throws {
      var rest = Substring(spec)
      func alignment(_ c: Character?) -> Alignment? {
        switch c {
        case "<": .left
        case ">": .right
        case "^": .center
        default: nil
        }
      }
      if rest.count >= 2, let second = alignment(rest.dropFirst().first) {
        fill = rest.first ?? " "
        self.alignment = second
        rest = rest.dropFirst(2)
      } else if let first = alignment(rest.first) {
        self.alignment = first
        rest = rest.dropFirst()
      }
      guard !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }),
        let width = Int(rest), width <= Self.maxWidth
      else {
        throw error(
          "'{:\(spec)}' is not a width: write {:<8} (left), {:>8} (right), {:^8} (centre) or {:8}, up to \(Self.maxWidth)"
        )
      }
      self.width = width
    }

    /// Appends `value` as `print` shows it, padded to the width.
    func append(_ value: Value, to builder: inout TextBuilder) {
      var piece = TextBuilder()
      piece.append(value)
      let padding = max(0, width - piece.text.count)
      let side: Alignment
      switch value {
      case .int, .float: side = alignment ?? .right
      default: side = alignment ?? .left
      }
      let (before, after): (Int, Int)
      switch side {
      case .left: (before, after) = (0, padding)
      case .right: (before, after) = (padding, 0)
      case .center: (before, after) = (padding / 2, padding - padding / 2)
      }
      builder.append(String(repeating: fill, count: before))
      builder.append(value)
      builder.append(String(repeating: fill, count: after))
    }
  }
}
