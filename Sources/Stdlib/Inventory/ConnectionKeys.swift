/// Which variables give a host its connection settings, per inventory format. When several
/// names are set, the last one listed wins (Ansible's `ssh` plugin: `ansible_ssh_host` beats
/// `ansible_host`).
struct ConnectionKeys {
  /// The address to connect to (default: the host's name).
  var address: [String]
  /// The SSH port.
  var port: [String]
  /// The login user.
  var user: [String]
  /// `local` or `ssh`.
  var connection: [String]
  /// The private key file, kept as the host var `identity_file`.
  var identity: [String]
  /// Variables that are settings, not host vars (not kept in `Host.vars`).
  var settingsOnly: Set<String>
  /// The connection values meaning "run on the controller".
  var local: Set<String>
  /// The connection values meaning "over SSH".
  var ssh: Set<String>

  /// Ansible's names; every variable is also kept as a host var, as `ansible-inventory` shows.
  static let ansible = ConnectionKeys(
    address: ["ansible_host", "ansible_ssh_host"],
    port: ["ansible_port", "ansible_ssh_port"],
    user: ["ansible_user", "ansible_ssh_user"],
    connection: ["ansible_connection"],
    identity: ["ansible_private_key_file", "ansible_ssh_private_key_file"],
    settingsOnly: [],
    local: ["local", "ansible.builtin.local"],
    ssh: [
      "ssh", "smart", "paramiko", "paramiko_ssh", "ansible.builtin.ssh",
      "ansible.builtin.paramiko_ssh",
    ])

  /// haflow's inventory syntax: settings are plain keys and are not host vars.
  static let haflow = ConnectionKeys(
    address: ["address"], port: ["port"], user: ["user"], connection: ["connection"],
    identity: ["identity_file"], settingsOnly: ["address", "port", "user", "connection"],
    local: ["local"], ssh: ["ssh"])
}
