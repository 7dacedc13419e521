/// The long help of each command: what it does, examples, exit codes.
enum HelpText {
  /// The exit code table shared by every command's help.
  static let exitCodes = """
    EXIT CODES:
      0   success (warnings allowed)
      1   the run failed: a step, a command or fail() stopped it
      2   usage error: bad flags, unreadable file, missing or ill-typed param
      65  syntax or check errors: nothing ran
    """

  /// `haflow --help`.
  static let root = """
    A playbook says which commands run on which hosts, in named steps. Commands are literals \
    with safe interpolation (`kubeadm init --control-plane-endpoint ${endpoint}`), and \
    params, durations and secrets are values. The language is described in \
    docs/language.md, the built-ins in docs/stdlib.md (or `haflow docs`).

    EXAMPLES:
      haflow run playbooks/examples/hello-local.hf -p greeting=hi
      haflow lab up                                  # test hosts on 127.0.0.x
      haflow run -i .haflow/lab/inventory.ini playbooks/examples/hello-lab.hf
      haflow exec -i .haflow/lab/inventory.ini all -- uptime
      haflow check playbooks                         # every .hf under the directory
      haflow docs --output docs/stdlib.md

    \(exitCodes)
    """

  /// `haflow rehearse --help`.
  static let rehearse = """
    A dress rehearsal of a kubeadm playbook on this machine, before it touches real hosts. \
    rehearse brings up a cluster lab (as `haflow lab up --topology …` does: isolated hosts on \
    127.0.0.x, Debian's haproxy on lb:6443, a lab kubelet and real etcd, haflow's kubeadm, \
    kubectl and API-server stand-ins), runs the playbook on it with the lab's inventory, \
    shows the recap and what each host ended with — its static pods, the nodes with their \
    roles and readiness, the etcd members and their health, the bootstrap tokens' and \
    uploaded certificates' expiry on the lab's clock, or "no cluster" — and takes the lab \
    down, also when the run fails or is stopped with Ctrl-C. It simulates machines and \
    kubeadm; it runs no Kubernetes (no containers, no pod network). Needs root.

    The lab fits the playbook: external etcd (lb, cp1-3, w1-3, etcd1-3) when the playbook \
    names the etcd group or --topology external is given, else stacked (lb, cp1-3, w1-3); \
    --control-planes, --workers and --etcd change the counts. A playbook that names a \
    host or group the lab does not have stops before the lab starts (exit 65).

    Params that name lab things get lab values when the playbook declares them and -p does \
    not set them: control_plane_endpoint and endpoint get lb's address:6443; cni_manifest \
    gets flannel's release URL, which the lab's kubectl answers from its own copy \
    (a default whose file the lab serves, kube-flannel.yml, is kept). -p always wins.

    The lab lives where `haflow lab` keeps it (HAFLOW_LAB_DIR, else .haflow/lab); a lab \
    already up there is refused. With --keep it stays up afterwards: `haflow lab status`, \
    `haflow lab down` and `haflow exec -i .haflow/lab/inventory.ini …` reach it. The first \
    address is --first-address, else $HAFLOW_REHEARSE_ADDRESS, else 127.0.0.2 (lb; the \
    other hosts follow). The exit status is the run's. See docs/rehearse.md.

    To rehearse what comes later — a token or the uploaded certificates expiring, a \
    control plane lost — keep the lab, then move its clock or stop a host and run the next \
    playbook on it: `haflow lab advance 3h`, `haflow lab stop cp2`, `haflow run -i \
    .haflow/lab/inventory.ini playbooks/join-workers.hf`.

    EXAMPLES:
      sudo haflow rehearse playbooks/stacked-etcd.hf
      sudo haflow rehearse playbooks/external-etcd.hf --workers 1
      sudo haflow rehearse site.hf -p pod_network_cidr=10.244.0.0/16
      sudo haflow rehearse site.hf --keep       # then: haflow lab status, lab down
      sudo HAFLOW_LAB_DIR=lab2 haflow rehearse site.hf --first-address 127.0.0.40

    \(exitCodes)
      130, 143  stopped by Ctrl-C, SIGTERM (the lab is taken down all the same)
    """

  /// `haflow run --help`.
  static let run = """
    The playbook is checked first: a syntax or check error stops the run before anything \
    runs (exit 65). Then each `param` is bound: -p name=value (split at the first '=') and \
    --params FILE.yaml (a mapping of names to values) give values, -p winning; a param \
    without a default must be given, and values must fit the declared type (exit 2).

    print() goes to standard output. Step progress, logs, warnings and command output \
    (prefixed with [host]) go to standard error: a line per event in a pipe; on a terminal \
    a live line per running step with its output folded under it (-v shows it live, -vv \
    adds connections, transfers, probes and unreachable hosts); --quiet keeps only the \
    step lines, warnings and errors. Colour only on a terminal and without NO_COLOR \
    (--color always|never|auto). A runtime error is shown with its file:line:col, the source line \
    and the call stack. Every run ends with a recap: per host ok/changed/failed/skipped/\
    unreachable and time, per step its duration, the failed commands with their last \
    stderr lines. --log-format json writes the run's events on standard output instead \
    (one JSON object per line); --log FILE writes them beside the normal output \
    (docs/events.md).

    --start-at, --only and --skip choose steps by name (a name no step has is a usage \
    error); --limit PATTERN (or @FILE, one host per line) keeps `on` to those hosts; \
    --list-steps and --list-hosts show what would run, connecting to nothing; --dry-run \
    shows each step's commands and transfers per host without connecting, remote output as \
    <from step "…">; --dry-run=connect only opens and authenticates the sessions \
    (docs/run.md).

    Every run writes a journal, .haflow/runs/<id>/journal.jsonl (HAFLOW_RUNS_DIR to choose \
    the directory), with what each step returned; `haflow runs` lists them. --resume \
    continues the latest run of the playbook (--resume ID: that run) at its first step not \
    completed: completed steps are not run again and give back their stored values; a step \
    whose value held a secret is run again, as secrets are never written (docs/run.md).

    With -i, hosts come from the inventory and commands inside `on HOSTS { … }` run on them \
    over SSH: one session per host for the whole run, host keys checked against known_hosts \
    (an unknown or changed key stops the run; --accept-new-host-keys records new ones), \
    authentication by ssh-agent, then the inventory's key, then --identity or ~/.ssh/id_*. \
    Without -i only the implicit `localhost` exists. Ctrl-C stops the running commands, \
    remote ones too. See docs/ssh.md.

    EXAMPLES:
      haflow run playbooks/examples/hello-local.hf
      haflow run -i "$(haflow lab up)" playbooks/examples/hello-lab.hf
      haflow run -i hosts.ini site.hf --known-hosts ./known_hosts --identity ~/.ssh/ops_ed25519
      haflow run site.hf -p endpoint=lb.example.com:6443 -p wait=90s
      haflow run site.hf --params site.yaml --quiet
      haflow run -i hosts.ini site.hf --start-at "join workers" --limit @retry.txt
      haflow run -i hosts.ini site.hf --resume
      haflow run -i hosts.ini site.hf --log-format json | jq -c 'select(.host)'
        (site.yaml holds lines like `endpoint: lb.example.com:6443`)

    \(exitCodes)
    """

  /// `haflow check --help`.
  static let check = """
    Lexes, parses and checks each file and the files it imports (undefined names, wrong \
    argument counts, misplaced break/return, commands outside `on`, param defaults that do \
    not fit their types, …) without running anything. A directory stands for every .hf file \
    under it (hidden ones left out). It also catches what literals give away: a member a \
    command result does not have (`.stdot`), `timeout: 2` where a duration is meant, \
    `mode: 0640` where an octal string is meant, run()/write_file() outside `on`. With -i \
    INVENTORY, host and group names written in `on "…"`, host("…") and group("…") must be \
    in that inventory. Diagnostics go to standard error as file:line:col with the source line \
    and a caret; on success `ok: N files` goes to standard output. Warnings alone do not fail.

    EXAMPLES:
      haflow check playbooks/examples/hello-local.hf
      haflow check -i .haflow/lab/inventory.ini playbooks/examples/hello-lab.hf
      haflow check playbooks
      haflow check playbooks/examples/*.hf
      haflow check site.hf 2>&1 | less

    EXIT CODES:
      0   every file is clean (warnings allowed)
      2   a file could not be read, or a param default does not fit its type
      65  syntax or check errors
    """

  /// `haflow docs --help`.
  static let docs = """
    Generates the Markdown reference of every built-in (signature and one line of help, \
    grouped by family and module) from the same table the interpreter uses, so it is never \
    out of date. docs/stdlib.md in the repository is this output.

    EXAMPLES:
      haflow docs | less
      haflow docs --output docs/stdlib.md
      haflow docs | grep kubeadm

    EXIT CODES:
      0   written
      1   the output file could not be written
      2   usage error
    """
}
