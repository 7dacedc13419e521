import Interpreter
import Stdlib

/// What a run's journal says: which run, of which playbook, how it ended, and what each
/// completed step returned. Lines that cannot be read (the last one of a run killed while
/// writing it) are ignored.
public struct JournalSummary: Sendable, Equatable {
  /// A step that completed (ended ok, on every host it ran on), in the order steps ended.
  public struct CompletedStep: Sendable, Equatable {
    /// The step's name.
    public var name: String
    /// Its value as stored JSON; nil when left out.
    public var json: String?
    /// Why the value was left out (`secret`, `unstorable`).
    public var leftOut: String?
  }

  /// The run id.
  public var runID: String?
  /// The playbook, as named when the run started.
  public var playbook: String?
  /// When it started (RFC 3339).
  public var start: String?
  /// `run_end`'s status, or `unfinished` when the run never ended (killed, or still running).
  public var status = "unfinished"
  /// The first step that failed, if one did.
  public var failedStep: String?
  /// The steps that completed, in order.
  public var completed: [CompletedStep] = []

  /// Reads a journal's text.
  public init(text: String) {
    for line in text.split(separator: "\n") {
      guard case .map(let fields) = try? JSONParser.parse(String(line)),
        case .string(let kind) = fields["event"]
      else { continue }
      func string(_ name: String) -> String? {
        if case .string(let s) = fields[name] { return s }
        return nil
      }
      switch kind {
      case "run_start":
        runID = string("run_id")
        playbook = string("playbook")
        start = string("time")
      case "run_end":
        status = string("status") ?? status
      case "step_end":
        guard let step = string("step") else { continue }
        if string("status") == "ok" {
          completed.append(
            CompletedStep(
              name: step, json: Self.json(fields["value"]), leftOut: string("value_left_out")))
        } else if failedStep == nil {
          failedStep = step
        }
      case "step_skip":
        guard let step = string("step"), string("reason") == ResumePlan.reason else { continue }
        completed.append(CompletedStep(name: step, json: Self.json(fields["value"]), leftOut: nil))
      default: continue
      }
    }
  }

  /// A field's value back as compact JSON (the parser kept it as a value).
  private static func json(_ value: Value?) -> String? {
    guard let value, case .string(let text) = try? JSONWriter.encode(value, indent: nil) else {
      return nil
    }
    return text
  }
}
