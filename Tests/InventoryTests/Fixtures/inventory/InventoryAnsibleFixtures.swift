// Inventories and what `ansible-inventory --list` (ansible-core 2.19.14) resolved for
// them, converted to the shape of `haflow inventory --json` by
// address/port/user/connection rules of docs/inventory.md. Generated once; the tests
// do not need Ansible.

/// Ansible inventories with their resolved form.
enum AnsibleFixtures {
  /// One inventory: its file name (the extension picks the format), its text, and the
  /// JSON `haflow inventory --json` must print for it.
  struct Fixture: Sendable, CustomStringConvertible {
    let name: String
    let text: String
    let expected: String
    var description: String { name }
  }

  /// Every fixture.
  static let all = [
    siteINI, valuesINI, precedenceINI, mixedINI,
    clusterYAML, overridesYAML, formsYAML,
  ]

  static let siteINI = Fixture(
    name: "site.ini",
    text: #"""
      # kubeadm HA cluster with stacked etcd, behind one load balancer.
      lb.example.com ansible_host=10.0.0.10

      [control_plane]
      cp[1:3].example.com

      [workers]
      worker-[01:12] node_labels="tier=general"
      gpu-[a:c]:2200 ansible_user=gpuadmin  # GPU nodes listen on another port

      [etcd:children]
      control_plane

      [k8s:children]
      control_plane
      workers

      [k8s:vars]
      ansible_user=admin
      kube_version=1.31.2
      pod_network_cidr=10.244.0.0/16

      [workers:vars]
      ansible_port=2222
      max_pods = 110

      [all:vars]
      ansible_ssh_private_key_file=~/.ssh/cluster_ed25519
      ntp_server=pool.ntp.org

      """#,
    expected: #"""
      {
        "groups": {
          "all": [
            "cp1.example.com",
            "cp2.example.com",
            "cp3.example.com",
            "gpu-a",
            "gpu-b",
            "gpu-c",
            "lb.example.com",
            "worker-01",
            "worker-02",
            "worker-03",
            "worker-04",
            "worker-05",
            "worker-06",
            "worker-07",
            "worker-08",
            "worker-09",
            "worker-10",
            "worker-11",
            "worker-12"
          ],
          "control_plane": [
            "cp1.example.com",
            "cp2.example.com",
            "cp3.example.com"
          ],
          "etcd": [
            "cp1.example.com",
            "cp2.example.com",
            "cp3.example.com"
          ],
          "k8s": [
            "cp1.example.com",
            "cp2.example.com",
            "cp3.example.com",
            "gpu-a",
            "gpu-b",
            "gpu-c",
            "worker-01",
            "worker-02",
            "worker-03",
            "worker-04",
            "worker-05",
            "worker-06",
            "worker-07",
            "worker-08",
            "worker-09",
            "worker-10",
            "worker-11",
            "worker-12"
          ],
          "ungrouped": [
            "lb.example.com"
          ],
          "workers": [
            "gpu-a",
            "gpu-b",
            "gpu-c",
            "worker-01",
            "worker-02",
            "worker-03",
            "worker-04",
            "worker-05",
            "worker-06",
            "worker-07",
            "worker-08",
            "worker-09",
            "worker-10",
            "worker-11",
            "worker-12"
          ]
        },
        "hosts": {
          "cp1.example.com": {
            "address": "cp1.example.com",
            "connection": "ssh",
            "port": null,
            "user": "admin",
            "vars": {
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "cp2.example.com": {
            "address": "cp2.example.com",
            "connection": "ssh",
            "port": null,
            "user": "admin",
            "vars": {
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "cp3.example.com": {
            "address": "cp3.example.com",
            "connection": "ssh",
            "port": null,
            "user": "admin",
            "vars": {
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "gpu-a": {
            "address": "gpu-a",
            "connection": "ssh",
            "port": 2200,
            "user": "gpuadmin",
            "vars": {
              "ansible_port": 2200,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "gpuadmin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "gpu-b": {
            "address": "gpu-b",
            "connection": "ssh",
            "port": 2200,
            "user": "gpuadmin",
            "vars": {
              "ansible_port": 2200,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "gpuadmin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "gpu-c": {
            "address": "gpu-c",
            "connection": "ssh",
            "port": 2200,
            "user": "gpuadmin",
            "vars": {
              "ansible_port": 2200,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "gpuadmin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "lb.example.com": {
            "address": "10.0.0.10",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "ansible_host": "10.0.0.10",
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "identity_file": "~/.ssh/cluster_ed25519",
              "ntp_server": "pool.ntp.org"
            }
          },
          "worker-01": {
            "address": "worker-01",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-02": {
            "address": "worker-02",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-03": {
            "address": "worker-03",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-04": {
            "address": "worker-04",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-05": {
            "address": "worker-05",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-06": {
            "address": "worker-06",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-07": {
            "address": "worker-07",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-08": {
            "address": "worker-08",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-09": {
            "address": "worker-09",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-10": {
            "address": "worker-10",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-11": {
            "address": "worker-11",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          },
          "worker-12": {
            "address": "worker-12",
            "connection": "ssh",
            "port": 2222,
            "user": "admin",
            "vars": {
              "ansible_port": 2222,
              "ansible_ssh_private_key_file": "~/.ssh/cluster_ed25519",
              "ansible_user": "admin",
              "identity_file": "~/.ssh/cluster_ed25519",
              "kube_version": "1.31.2",
              "max_pods": 110,
              "node_labels": "tier=general",
              "ntp_server": "pool.ntp.org",
              "pod_network_cidr": "10.244.0.0/16"
            }
          }
        }
      }

      """#)

  static let valuesINI = Fixture(
    name: "values.ini",
    text: #"""
      ; values the INI plugin types with Python's literal_eval
      localhost ansible_connection=local
      bastion:2200 ansible_ssh_user=jump ansible_ssh_host=203.0.113.7
      typed int=42 neg=-7 hex=0x1f float=1.5 exp=1e3 t=True f=False n=None
      numbers pad=010 zero=00 under=1_000 ver=1.31.2 big=1e16 neg_float=-2.5e-3
      strings plain=hello dq="two words" sq='single q' inner="'kept'" esc="a\"b"
      comment tail=kept hash=a#b ip=10.0.0.1 path=/etc/k8s
      lists list=[1,2,'x'] tuple=(1,2) dict="{'a': 1, 'b': [True, None]}"
      odd empty="" yes=yes concat="'a' 'b'" raw="r'\d'" dots=... set="{1, 3}"
      db[0:10:5] role=db
      web[01:20:7]:8022
      node-[x:B]
      pair[1:2]-[a:b]
      db0 role=primary
      db0:9999 late=yes

      [g]
      bastion:2299
      typed

      [g:vars]
      spaced = value with spaces
      quoted = "quoted in vars"
      num=12
      list = [1, "two"]
      trailing=x # not a comment
      number=7 # a comment

      """#,
    expected: #"""
      {
        "groups": {
          "all": [
            "bastion",
            "comment",
            "db0",
            "db10",
            "db5",
            "lists",
            "localhost",
            "node-A",
            "node-B",
            "node-x",
            "node-y",
            "node-z",
            "numbers",
            "odd",
            "pair1-a",
            "pair1-b",
            "pair2-a",
            "pair2-b",
            "strings",
            "typed",
            "web01",
            "web08",
            "web15"
          ],
          "g": [
            "bastion",
            "typed"
          ],
          "ungrouped": [
            "comment",
            "db0",
            "db10",
            "db5",
            "lists",
            "localhost",
            "node-A",
            "node-B",
            "node-x",
            "node-y",
            "node-z",
            "numbers",
            "odd",
            "pair1-a",
            "pair1-b",
            "pair2-a",
            "pair2-b",
            "strings",
            "web01",
            "web08",
            "web15"
          ]
        },
        "hosts": {
          "bastion": {
            "address": "203.0.113.7",
            "connection": "ssh",
            "port": 2200,
            "user": "jump",
            "vars": {
              "ansible_port": 2200,
              "ansible_ssh_host": "203.0.113.7",
              "ansible_ssh_user": "jump",
              "list": [
                1,
                "two"
              ],
              "num": 12,
              "number": 7,
              "quoted": "quoted in vars",
              "spaced": "value with spaces",
              "trailing": "x # not a comment"
            }
          },
          "comment": {
            "address": "comment",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "hash": "a",
              "tail": "kept"
            }
          },
          "db0": {
            "address": "db0",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "late": "yes",
              "role": "primary"
            }
          },
          "db10": {
            "address": "db10",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "role": "db"
            }
          },
          "db5": {
            "address": "db5",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "role": "db"
            }
          },
          "lists": {
            "address": "lists",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "dict": {
                "a": 1,
                "b": [
                  true,
                  null
                ]
              },
              "list": "[1,2,x]",
              "tuple": [
                1,
                2
              ]
            }
          },
          "localhost": {
            "address": "localhost",
            "connection": "local",
            "port": null,
            "user": null,
            "vars": {
              "ansible_connection": "local"
            }
          },
          "node-A": {
            "address": "node-A",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "node-B": {
            "address": "node-B",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "node-x": {
            "address": "node-x",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "node-y": {
            "address": "node-y",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "node-z": {
            "address": "node-z",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "numbers": {
            "address": "numbers",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "big": 1e+16,
              "neg_float": -0.0025,
              "pad": "010",
              "under": 1000,
              "ver": "1.31.2",
              "zero": 0
            }
          },
          "odd": {
            "address": "odd",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "concat": "ab",
              "dots": "...",
              "empty": "",
              "raw": "\\d",
              "set": [
                1,
                3
              ],
              "yes": "yes"
            }
          },
          "pair1-a": {
            "address": "pair1-a",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "pair1-b": {
            "address": "pair1-b",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "pair2-a": {
            "address": "pair2-a",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "pair2-b": {
            "address": "pair2-b",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "strings": {
            "address": "strings",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "dq": "two words",
              "esc": "a\"b",
              "inner": "kept",
              "plain": "hello",
              "sq": "single q"
            }
          },
          "typed": {
            "address": "typed",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "exp": 1000.0,
              "f": false,
              "float": 1.5,
              "hex": 31,
              "int": 42,
              "list": [
                1,
                "two"
              ],
              "n": null,
              "neg": -7,
              "num": 12,
              "number": 7,
              "quoted": "quoted in vars",
              "spaced": "value with spaces",
              "t": true,
              "trailing": "x # not a comment"
            }
          },
          "web01": {
            "address": "web01",
            "connection": "ssh",
            "port": 8022,
            "user": null,
            "vars": {
              "ansible_port": 8022
            }
          },
          "web08": {
            "address": "web08",
            "connection": "ssh",
            "port": 8022,
            "user": null,
            "vars": {
              "ansible_port": 8022
            }
          },
          "web15": {
            "address": "web15",
            "connection": "ssh",
            "port": 8022,
            "user": null,
            "vars": {
              "ansible_port": 8022
            }
          }
        }
      }

      """#)

  static let precedenceINI = Fixture(
    name: "precedence.ini",
    text: #"""
      [parent]
      p1

      [parent:children]
      child

      [child]
      c1 level=host
      c2

      [zeta]
      c2

      [alpha]
      c2
      c3

      [beta]
      c3

      [parent:vars]
      level=parent
      only_parent=p

      [child:vars]
      level=child

      [zeta:vars]
      tie=zeta

      [alpha:vars]
      tie=alpha
      prio=alpha

      [beta:vars]
      ansible_group_priority=5
      prio=beta

      [all:vars]
      level=all
      only_all=1
      tie=all

      """#,
    expected: #"""
      {
        "groups": {
          "all": [
            "c1",
            "c2",
            "c3",
            "p1"
          ],
          "alpha": [
            "c2",
            "c3"
          ],
          "beta": [
            "c3"
          ],
          "child": [
            "c1",
            "c2"
          ],
          "parent": [
            "c1",
            "c2",
            "p1"
          ],
          "zeta": [
            "c2"
          ]
        },
        "hosts": {
          "c1": {
            "address": "c1",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "level": "host",
              "only_all": 1,
              "only_parent": "p",
              "tie": "all"
            }
          },
          "c2": {
            "address": "c2",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "level": "child",
              "only_all": 1,
              "only_parent": "p",
              "prio": "alpha",
              "tie": "zeta"
            }
          },
          "c3": {
            "address": "c3",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "level": "all",
              "only_all": 1,
              "prio": "beta",
              "tie": "alpha"
            }
          },
          "p1": {
            "address": "p1",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "level": "parent",
              "only_all": 1,
              "only_parent": "p",
              "tie": "all"
            }
          }
        }
      }

      """#)

  static let mixedINI = Fixture(
    name: "mixed.ini",
    text: #"""
      # hosts before any section are ungrouped; [all] and [ungrouped] are ordinary sections
      lonely
      both ansible_host=192.0.2.10
      [all]
      direct
      [ungrouped]
      explicit
      [late:vars]
      declared_before=yes
      [web:hosts]
      both
      [late:children]
      later
      [later]
      h9 ansible_connection=ansible.builtin.local
      [late]
      [all:children]
      web
      [ungrouped:vars]
      from_ungrouped=1

      """#,
    expected: #"""
      {
        "groups": {
          "all": [
            "both",
            "direct",
            "explicit",
            "h9",
            "lonely"
          ],
          "late": [
            "h9"
          ],
          "later": [
            "h9"
          ],
          "ungrouped": [
            "direct",
            "explicit",
            "lonely"
          ],
          "web": [
            "both"
          ]
        },
        "hosts": {
          "both": {
            "address": "192.0.2.10",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "ansible_host": "192.0.2.10"
            }
          },
          "direct": {
            "address": "direct",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "from_ungrouped": 1
            }
          },
          "explicit": {
            "address": "explicit",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "from_ungrouped": 1
            }
          },
          "h9": {
            "address": "h9",
            "connection": "local",
            "port": null,
            "user": null,
            "vars": {
              "ansible_connection": "ansible.builtin.local",
              "declared_before": "yes"
            }
          },
          "lonely": {
            "address": "lonely",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "from_ungrouped": 1
            }
          }
        }
      }

      """#)

  static let clusterYAML = Fixture(
    name: "cluster.yml",
    text: #"""
      # The same cluster as YAML, nested three levels deep.
      all:
        vars:
          ansible_user: root
          ntp_servers: [0.pool.ntp.org, 1.pool.ntp.org]
        hosts:
          bastion.example.com:
            ansible_host: 203.0.113.7
            ansible_port: 2222
          localhost:
            ansible_connection: local
        children:
          k8s:
            vars:
              kube_version: "1.31.2"
              cni: calico
              features: {ipv6: false, gateway_api: yes}
            children:
              control_plane:
                hosts:
                  cp[1:3]:
                    ansible_ssh_private_key_file: ~/.ssh/cp_ed25519
                vars:
                  role: control-plane
              workers:
                hosts:
                  worker-[01:10:3]:
                  gpu-[a:b]:2200:
                    gpu: true
                vars:
                  role: worker
                  max_pods: 110
              etcd:
                children:
                  control_plane:
          monitoring:
            hosts: prometheus.internal
          empty_group:

      """#,
    expected: #"""
      {
        "groups": {
          "all": [
            "bastion.example.com",
            "cp1",
            "cp2",
            "cp3",
            "gpu-a",
            "gpu-b",
            "localhost",
            "prometheus.internal",
            "worker-01",
            "worker-04",
            "worker-07",
            "worker-10"
          ],
          "control_plane": [
            "cp1",
            "cp2",
            "cp3"
          ],
          "etcd": [
            "cp1",
            "cp2",
            "cp3"
          ],
          "k8s": [
            "cp1",
            "cp2",
            "cp3",
            "gpu-a",
            "gpu-b",
            "worker-01",
            "worker-04",
            "worker-07",
            "worker-10"
          ],
          "monitoring": [
            "prometheus.internal"
          ],
          "ungrouped": [
            "bastion.example.com",
            "localhost"
          ],
          "workers": [
            "gpu-a",
            "gpu-b",
            "worker-01",
            "worker-04",
            "worker-07",
            "worker-10"
          ]
        },
        "hosts": {
          "bastion.example.com": {
            "address": "203.0.113.7",
            "connection": "ssh",
            "port": 2222,
            "user": "root",
            "vars": {
              "ansible_host": "203.0.113.7",
              "ansible_port": 2222,
              "ansible_user": "root",
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ]
            }
          },
          "cp1": {
            "address": "cp1",
            "connection": "ssh",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_ssh_private_key_file": "~/.ssh/cp_ed25519",
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "identity_file": "~/.ssh/cp_ed25519",
              "kube_version": "1.31.2",
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "control-plane"
            }
          },
          "cp2": {
            "address": "cp2",
            "connection": "ssh",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_ssh_private_key_file": "~/.ssh/cp_ed25519",
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "identity_file": "~/.ssh/cp_ed25519",
              "kube_version": "1.31.2",
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "control-plane"
            }
          },
          "cp3": {
            "address": "cp3",
            "connection": "ssh",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_ssh_private_key_file": "~/.ssh/cp_ed25519",
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "identity_file": "~/.ssh/cp_ed25519",
              "kube_version": "1.31.2",
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "control-plane"
            }
          },
          "gpu-a": {
            "address": "gpu-a",
            "connection": "ssh",
            "port": 2200,
            "user": "root",
            "vars": {
              "ansible_port": 2200,
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "gpu": true,
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "worker"
            }
          },
          "gpu-b": {
            "address": "gpu-b",
            "connection": "ssh",
            "port": 2200,
            "user": "root",
            "vars": {
              "ansible_port": 2200,
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "gpu": true,
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "worker"
            }
          },
          "localhost": {
            "address": "localhost",
            "connection": "local",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_connection": "local",
              "ansible_user": "root",
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ]
            }
          },
          "prometheus.internal": {
            "address": "prometheus.internal",
            "connection": "ssh",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_user": "root",
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ]
            }
          },
          "worker-01": {
            "address": "worker-01",
            "connection": "ssh",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "worker"
            }
          },
          "worker-04": {
            "address": "worker-04",
            "connection": "ssh",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "worker"
            }
          },
          "worker-07": {
            "address": "worker-07",
            "connection": "ssh",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "worker"
            }
          },
          "worker-10": {
            "address": "worker-10",
            "connection": "ssh",
            "port": null,
            "user": "root",
            "vars": {
              "ansible_user": "root",
              "cni": "calico",
              "features": {
                "gateway_api": true,
                "ipv6": false
              },
              "kube_version": "1.31.2",
              "max_pods": 110,
              "ntp_servers": [
                "0.pool.ntp.org",
                "1.pool.ntp.org"
              ],
              "role": "worker"
            }
          }
        }
      }

      """#)

  static let overridesYAML = Fixture(
    name: "overrides.yaml",
    text: #"""
      lab:
        hosts:
          node1:
            ansible_host: 127.0.0.2
            ansible_ssh_host: 127.0.0.3
            ansible_port: 22
            ansible_ssh_port: "2022"
            ansible_user: alice
            ansible_ssh_user: bob
            ansible_private_key_file: /keys/a
          node2:
            ansible_host: 127.0.0.4
        vars:
          level: lab
          shared: lab
      dc:
        children:
          lab:
            vars:
              level: lab-again
        vars:
          level: dc
          only_dc: 1
          shared: dc
      ungrouped:
        hosts:
          lonely:
          node2:
            extra: from-ungrouped

      """#,
    expected: #"""
      {
        "groups": {
          "all": [
            "lonely",
            "node1",
            "node2"
          ],
          "dc": [
            "node1",
            "node2"
          ],
          "lab": [
            "node1",
            "node2"
          ],
          "ungrouped": [
            "lonely"
          ]
        },
        "hosts": {
          "lonely": {
            "address": "lonely",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "node1": {
            "address": "127.0.0.3",
            "connection": "ssh",
            "port": 2022,
            "user": "bob",
            "vars": {
              "ansible_host": "127.0.0.2",
              "ansible_port": 22,
              "ansible_private_key_file": "/keys/a",
              "ansible_ssh_host": "127.0.0.3",
              "ansible_ssh_port": "2022",
              "ansible_ssh_user": "bob",
              "ansible_user": "alice",
              "identity_file": "/keys/a",
              "level": "lab-again",
              "only_dc": 1,
              "shared": "lab"
            }
          },
          "node2": {
            "address": "127.0.0.4",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "ansible_host": "127.0.0.4",
              "extra": "from-ungrouped",
              "level": "lab-again",
              "only_dc": 1,
              "shared": "lab"
            }
          }
        }
      }

      """#)

  static let formsYAML = Fixture(
    name: "forms.yml",
    text: #"""
      web:
        hosts: web1
        children: api
        vars:
          tier: web
      api:
        hosts:
          api[1:2]:
            ansible_group_priority: 3
        vars:
          tier: api
      db:
        hosts:
          "[2001:db8::1]:2222":
          10.0.0.[5:6]:
          db.example.com:5432:
            ansible_ssh_private_key_file: /keys/db
        vars:
          tier: db
      blue:
        hosts: {shared: null}
        vars: {ansible_group_priority: 10, color: blue}
      green:
        hosts: {shared: null}
        vars: {color: green}
      bogus: [1, 2]
      weird:
        hosts:
          w1:
        extra: {a: 1}
        notes: text

      """#,
    expected: #"""
      {
        "groups": {
          "all": [
            "10.0.0.5",
            "10.0.0.6",
            "2001:db8::1",
            "api1",
            "api2",
            "db.example.com",
            "shared",
            "w1",
            "web1"
          ],
          "api": [
            "api1",
            "api2"
          ],
          "blue": [
            "shared"
          ],
          "db": [
            "10.0.0.5",
            "10.0.0.6",
            "2001:db8::1",
            "db.example.com"
          ],
          "green": [
            "shared"
          ],
          "web": [
            "api1",
            "api2",
            "web1"
          ],
          "weird": [
            "w1"
          ]
        },
        "hosts": {
          "10.0.0.5": {
            "address": "10.0.0.5",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "tier": "db"
            }
          },
          "10.0.0.6": {
            "address": "10.0.0.6",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "tier": "db"
            }
          },
          "2001:db8::1": {
            "address": "2001:db8::1",
            "connection": "ssh",
            "port": 2222,
            "user": null,
            "vars": {
              "ansible_port": 2222,
              "tier": "db"
            }
          },
          "api1": {
            "address": "api1",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "ansible_group_priority": 3,
              "tier": "api"
            }
          },
          "api2": {
            "address": "api2",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "ansible_group_priority": 3,
              "tier": "api"
            }
          },
          "db.example.com": {
            "address": "db.example.com",
            "connection": "ssh",
            "port": 5432,
            "user": null,
            "vars": {
              "ansible_port": 5432,
              "ansible_ssh_private_key_file": "/keys/db",
              "identity_file": "/keys/db",
              "tier": "db"
            }
          },
          "shared": {
            "address": "shared",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "color": "blue"
            }
          },
          "w1": {
            "address": "w1",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {}
          },
          "web1": {
            "address": "web1",
            "connection": "ssh",
            "port": null,
            "user": null,
            "vars": {
              "tier": "web"
            }
          }
        }
      }

      """#)
}
