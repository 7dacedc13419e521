import Testing

@testable import Inventory

/// Jump hosts and proxy commands named in an inventory, the ways Ansible users write them.
@Suite struct InventoryProxyTests {
  func proxy(_ vars: [String: String]) -> InventoryProxy? {
    var host = InventoryHost(name: "h")
    for (key, value) in vars.sorted(by: { $0.key < $1.key }) { host.vars[key] = .string(value) }
    return InventoryProxy.of(host)
  }

  @Test func formsOfSSHArguments() {
    for (args, jump) in [
      ("-o ProxyJump=admin@b1:2222,b2", "admin@b1:2222,b2"),
      ("-oProxyJump=b1", "b1"),
      ("-o 'ProxyJump b1'", "b1"),
      ("-o StrictHostKeyChecking=no -J ops@b1", "ops@b1"),
      ("-Jb1 -o ProxyJump=later", "b1"),
    ] {
      #expect(proxy(["ansible_ssh_common_args": args]) == InventoryProxy(jump: jump), "\(args)")
    }
    #expect(
      proxy(["ansible_ssh_extra_args": "-o ProxyCommand='ssh -W %h:%p gw'"])
        == InventoryProxy(command: "ssh -W %h:%p gw"))
    #expect(proxy(["ansible_ssh_common_args": "-o UserKnownHostsFile=/x -C"]) == nil)
    #expect(proxy(["ansible_ssh_common_args": "-o 'unterminated"]) == nil)
    #expect(proxy([:]) == nil)
  }

  @Test func haflowVarComesFirst() {
    #expect(
      proxy(["haflow_proxy_jump": "b0", "ansible_ssh_common_args": "-J b1"])
        == InventoryProxy(jump: "b0"))
    #expect(proxy(["haflow_proxy_jump": "none"]) == InventoryProxy(jump: "none"))
  }
}
