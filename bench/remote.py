#!/usr/bin/env python3
"""Remote-execution benchmark: 10 sequential commands on each of N lab hosts (6; `--hosts 200`
for scale), hosts in parallel.

Compares, on the same `haflow lab` hosts, logged in as a user whose shell is plain sh:
  - a haflow playbook (`on "lab" parallel { 10 commands }`, one session per host),
  - `haflow exec` run 10 times (each run connects anew),
  - a shell loop of `ssh` (a new connection per command),
  - the same loop with OpenSSH ControlMaster (one master per host, started cold in each run),
  - `ansible-playbook` with pipelining (ansible-core in a venv this script creates).
Prints wall times (best of N), ratios, haflow's overhead per command beyond the command, and
for the playbook run haflow's peak memory (max RSS) and its own CPU time (user + system) per
command. The lab's addresses start at --first-address (127.0.4.0: a range of their own, past
the /24 for more than 256 hosts).
"""
import argparse
import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import time


def sh(cmd, **kw):
    r = subprocess.run(cmd, shell=isinstance(cmd, str), text=True, capture_output=True,
                       timeout=kw.pop("timeout", 600), **kw)
    if r.returncode != 0:
        sys.stderr.write(r.stdout[-3000:] + r.stderr[-3000:])
        raise SystemExit(f"bench: {cmd if isinstance(cmd, str) else ' '.join(cmd)} "
                         f"exited {r.returncode}")
    return r


def best(fn, runs):
    times = []
    for _ in range(runs):
        start = time.monotonic()
        fn()
        times.append(time.monotonic() - start)
    return min(times)


def measured(cmd, env, timeout=600):
    """Runs haflow; returns (wall seconds, its CPU seconds, its peak RSS in KiB)."""
    out = tempfile.TemporaryFile()
    start = time.monotonic()
    p = subprocess.Popen(cmd, env=env, stdout=out, stderr=out, stdin=subprocess.DEVNULL)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(p.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            p.kill()
            raise SystemExit(f"bench: {' '.join(cmd)} did not finish within {timeout} s")
        time.sleep(0.005)
    wall = time.monotonic() - start
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        out.seek(0)
        sys.stderr.write(out.read()[-3000:].decode(errors="replace"))
        raise SystemExit(f"bench: {' '.join(cmd)} exited {p.returncode}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def best_measured(cmd, env, runs):
    """The best wall time of `runs`, the CPU time of that run, the peak RSS of all."""
    runs_ = [measured(cmd, env) for _ in range(runs)]
    wall, cpu, _ = min(runs_)
    return wall, cpu, max(r[2] for r in runs_)


def parse_inventory(path):
    hosts = []
    for line in open(path):
        line = line.strip()
        if not line or line.startswith(("[", "#", ";")):
            continue
        name, *pairs = line.split()
        vars_ = dict(p.split("=", 1) for p in pairs if "=" in p)
        if "ansible_host" in vars_ and name not in [h["name"] for h in hosts]:
            hosts.append({"name": name, "address": vars_["ansible_host"],
                          "port": vars_.get("ansible_port", "22"),
                          "user": vars_.get("ansible_user", "root"),
                          "key": vars_.get("ansible_ssh_private_key_file")})
    return hosts


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--haflow", required=True)
    ap.add_argument("--hosts", type=int, default=6)
    ap.add_argument("--first-address", default="127.0.4.0")
    ap.add_argument("--commands", type=int, default=10)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--user", default="haflowbench")
    ap.add_argument("--skip-ansible", action="store_true")
    ap.add_argument("--venv", default=os.path.join(os.getcwd(), ".haflow", "bench-venv"))
    args = ap.parse_args()
    hf, n, k = args.haflow, args.hosts, args.commands

    work = tempfile.mkdtemp(prefix="haflow-bench-")
    env = dict(os.environ, HAFLOW_LAB_DIR=os.path.join(work, "lab"))
    up = [hf, "lab", "up", "--hosts", str(n), "--first-address", args.first_address]
    if os.geteuid() == 0:
        up += ["--user", args.user]
    try:
        out = sh(up, env=env, timeout=1200).stdout.strip().splitlines()
        inventory = out[-1]
        lab = os.path.dirname(inventory)
        known_hosts = os.path.join(lab, "known_hosts")
        hosts = parse_inventory(inventory)[:n]
        user = hosts[0]["user"]
        shell = sh(["getent", "passwd", user]).stdout.strip().split(":")[-1]
        print(f"{n} lab hosts on {hosts[0]['address']}–{hosts[-1]['address']}, user {user} "
              f"(login shell {shell}), "
              f"{k} sequential commands per host, hosts in parallel, best of {args.runs}")
        print()
        results = {}

        play = os.path.join(work, "bench.hf")
        with open(play, "w") as f:
            f.write(f'on "lab" parallel {{\n  for _i in 0..<{k} {{ `true` }}\n}}\n')
        one = os.path.join(work, "one.hf")
        with open(one, "w") as f:
            f.write('on "lab" parallel { `true` }\n')
        run = [hf, "run", "-q", "-i", inventory]
        t_play, cpu_play, rss_play = best_measured(run + [play], env, args.runs)
        results["haflow playbook"] = t_play
        t_one, cpu_one, _ = best_measured(run + [one], env, args.runs)

        def exec_loop():
            for _ in range(k):
                sh([hf, "exec", "-i", inventory, "lab", "--", "true"], env=env)
        results["haflow exec ×%d" % k] = best(exec_loop, args.runs)

        # -n: ssh must not read the loop's standard input (it would eat what follows).
        ssh_base = ["ssh", "-n", "-o", "BatchMode=yes", "-o", f"UserKnownHostsFile={known_hosts}",
                    "-o", "StrictHostKeyChecking=yes", "-o", "LogLevel=ERROR"]

        def ssh_loop(extra):
            procs = []
            for h in hosts:
                target = ssh_base + extra + ["-i", h["key"], "-p", h["port"],
                                             f'{h["user"]}@{h["address"]}', "true"]
                script = "for i in $(seq %d); do %s || exit 1; done" % (
                    k, " ".join(subprocess.list2cmdline([a]) for a in target))
                procs.append(subprocess.Popen(["bash", "-c", script]))
            if any(p.wait(timeout=900) != 0 for p in procs):
                raise SystemExit("ssh loop failed")
        results["ssh loop"] = best(lambda: ssh_loop([]), args.runs)

        control = os.path.join(work, "cm-%C")
        cm = ["-o", "ControlMaster=auto", "-o", f"ControlPath={control}",
              "-o", "ControlPersist=60"]

        def cm_loop():
            ssh_loop(cm)
            for h in hosts:  # close the masters: every run starts cold
                subprocess.run(ssh_base + cm + ["-p", h["port"], "-O", "exit",
                                                f'{h["user"]}@{h["address"]}'],
                               capture_output=True, timeout=30)
        results["ssh ControlMaster loop"] = best(cm_loop, args.runs)

        if not args.skip_ansible:
            ansible = os.path.join(args.venv, "bin", "ansible-playbook")
            if not os.path.exists(ansible):
                print("bench: installing ansible-core into", args.venv, file=sys.stderr)
                sh([sys.executable, "-m", "venv", args.venv], timeout=600)
                sh([os.path.join(args.venv, "bin", "pip"), "install", "-q", "ansible-core"],
                   timeout=1200)
            cfg = os.path.join(work, "ansible.cfg")
            cp = configparser.ConfigParser()
            cp["defaults"] = {"host_key_checking": "True", "forks": str(n),
                              "interpreter_python": "/usr/bin/python3",
                              "gathering": "explicit"}
            cp["ssh_connection"] = {
                "pipelining": "True",
                "ssh_args": f"-o UserKnownHostsFile={known_hosts} -o ControlMaster=auto "
                            f"-o ControlPersist=60s",
                "control_path_dir": os.path.join(work, "acp")}
            with open(cfg, "w") as f:
                cp.write(f)
            book = os.path.join(work, "bench.yml")
            with open(book, "w") as f:
                f.write("- hosts: lab\n  gather_facts: false\n  tasks:\n")
                for i in range(k):
                    f.write(f"    - command: /bin/true\n")
            aenv = dict(env, ANSIBLE_CONFIG=cfg)

            def ansible_run():
                sh([ansible, "-i", inventory, book], env=aenv)
                shutil.rmtree(os.path.join(work, "acp"), ignore_errors=True)
            results["ansible-playbook (pipelining)"] = best(ansible_run, args.runs)

        # The command itself: `sh -c 'echo $$; true'` as haflow runs it, measured locally.
        start = time.monotonic()
        for _ in range(200):
            subprocess.run(["/bin/sh", "-c", "echo $$; true"], capture_output=True)
        command_cost = (time.monotonic() - start) / 200

        base = results["haflow playbook"]
        print(f"{'':32} {'wall':>9} {'per command':>12} {'× haflow':>9}")
        for name, t in results.items():
            print(f"{name:32} {t * 1000:7.0f}ms {t / k * 1000:10.1f}ms {t / base:9.1f}")
        per_command = (base - t_one) / (k - 1)
        print()
        print(f"haflow per command on an open session: {per_command * 1000:.1f} ms "
              f"(the command itself, sh -c, run locally: {command_cost * 1000:.1f} ms; "
              f"overhead beyond it: {(per_command - command_cost) * 1000:.1f} ms)")
        print(f"haflow playbook with 1 command per host (start, check, connect): {t_one * 1000:.0f} ms")
        print(f"haflow playbook ({n} hosts × {k} commands): peak memory {rss_play / 1024:.0f} MB "
              f"(target ≤ 100 MB: {'met' if rss_play <= 100 * 1024 else 'MISSED'}), "
              f"CPU {cpu_play:.2f} s = {cpu_play / (n * k) * 1000:.2f} ms per command "
              f"(with 1 command per host: {cpu_one:.2f} s; "
              f"the {k - 1} more: {(cpu_play - cpu_one) / (n * (k - 1)) * 1000:.2f} ms each)")
        cmr = base / results["ssh ControlMaster loop"]
        print(f"target ≤ 0.5× the ControlMaster loop: {cmr:.2f}× — {'met' if cmr <= 0.5 else 'MISSED'}")
        if "ansible-playbook (pipelining)" in results:
            ar = results["ansible-playbook (pipelining)"] / base
            print(f"target ≥ 20× faster than Ansible: {ar:.1f}× — {'met' if ar >= 20 else 'MISSED'}")
    finally:
        subprocess.run([hf, "lab", "down"], env=env, capture_output=True, timeout=120)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
