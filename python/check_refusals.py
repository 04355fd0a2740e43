"""Reads every *.safetensors in a folder with ml3_loss.py, as PythonLossModuleTest's refusal check.

usage: python3 check_refusals.py FOLDER

Prints, per file in name order, "NAME<TAB>accepted" or "NAME<TAB>refused<TAB>MESSAGE", then
"peak-rss-mb<TAB>N" (this process's own peak resident memory). Any error other than
LearnedLossFileError ends the script with its traceback.
"""
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ml3_loss import LearnedLossFile, LearnedLossFileError  # noqa: E402


def peak_rss_mb():
    """This process's own peak resident memory. On Linux getrusage's ru_maxrss also counts the
    parent's resident memory at exec (a test JVM's hundreds of MB), so VmHWM is read instead."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main(folder):
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".safetensors")):
        try:
            LearnedLossFile.read(os.path.join(folder, name))
            print(f"{name}\taccepted")
        except LearnedLossFileError as e:
            print(f"{name}\trefused\t{e}")
    print(f"peak-rss-mb\t{peak_rss_mb()}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 check_refusals.py FOLDER")
    main(sys.argv[1])
