/// Inventories in haflow syntax.
enum HaflowFixtures {
  /// A kubeadm HA cluster: settings, ranges, group vars, nested groups, a local host.
  static let cluster = #"""
    # HA cluster, stacked etcd, behind a load balancer
    host lb address=10.0.0.10 port=2222 user=ops
    host cp[1:3] groups=control_plane,etcd
    host w1 address=10.0.2.1 node_ip=10.0.2.1 labels="tier=general, zone=a"
    host w2 address=10.0.2.2 port=22 max_pods=110 gpu=false
    host controller connection=local   # runs commands here

    group workers user=ubuntu: w1 w2
    group control_plane user=root identity_file=~/.ssh/cp_ed25519
    group k8s cni=calico kube_version=1.31.2: control_plane workers
    group all ntp=pool.ntp.org
    """#

  /// What `haflow inventory --json` prints for `cluster`.
  static let clusterJSON = #"""
    {
      "groups": {
        "all": [
          "controller",
          "cp1",
          "cp2",
          "cp3",
          "lb",
          "w1",
          "w2"
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
          "w1",
          "w2"
        ],
        "ungrouped": [
          "controller",
          "lb"
        ],
        "workers": [
          "w1",
          "w2"
        ]
      },
      "hosts": {
        "controller": {
          "address": "controller",
          "connection": "local",
          "port": null,
          "user": null,
          "vars": {
            "ntp": "pool.ntp.org"
          }
        },
        "cp1": {
          "address": "cp1",
          "connection": "ssh",
          "port": null,
          "user": "root",
          "vars": {
            "cni": "calico",
            "identity_file": "~/.ssh/cp_ed25519",
            "kube_version": "1.31.2",
            "ntp": "pool.ntp.org"
          }
        },
        "cp2": {
          "address": "cp2",
          "connection": "ssh",
          "port": null,
          "user": "root",
          "vars": {
            "cni": "calico",
            "identity_file": "~/.ssh/cp_ed25519",
            "kube_version": "1.31.2",
            "ntp": "pool.ntp.org"
          }
        },
        "cp3": {
          "address": "cp3",
          "connection": "ssh",
          "port": null,
          "user": "root",
          "vars": {
            "cni": "calico",
            "identity_file": "~/.ssh/cp_ed25519",
            "kube_version": "1.31.2",
            "ntp": "pool.ntp.org"
          }
        },
        "lb": {
          "address": "10.0.0.10",
          "connection": "ssh",
          "port": 2222,
          "user": "ops",
          "vars": {
            "ntp": "pool.ntp.org"
          }
        },
        "w1": {
          "address": "10.0.2.1",
          "connection": "ssh",
          "port": null,
          "user": "ubuntu",
          "vars": {
            "cni": "calico",
            "kube_version": "1.31.2",
            "labels": "tier=general, zone=a",
            "node_ip": "10.0.2.1",
            "ntp": "pool.ntp.org"
          }
        },
        "w2": {
          "address": "10.0.2.2",
          "connection": "ssh",
          "port": 22,
          "user": "ubuntu",
          "vars": {
            "cni": "calico",
            "gpu": false,
            "kube_version": "1.31.2",
            "max_pods": 110,
            "ntp": "pool.ntp.org"
          }
        }
      }
    }

    """#
}
