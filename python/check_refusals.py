"""Reads every *.safetensors in a folder with ml3_loss.py, as PythonLossModuleTest's refusal check.

usage: python3 check_refusals.py FOLDER

Prints, per file in name order, "NAME<TAB>accepted" or "NAME<TAB>refused<TAB>MESSAGE", then
"peak-rss-mb<TAB>N" (this process's peak resident memory). Any error other than
LearnedLossFileError ends the script with its traceback.
"""
import os
import resource
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ml3_loss import LearnedLossFile, LearnedLossFileError  # noqa: E402


def main(folder):
    for name in sorted(f for f in os.listdir(folder) if f.endswith(".safetensors")):
        try:
            LearnedLossFile.read(os.path.join(folder, name))
            print(f"{name}\taccepted")
        except LearnedLossFileError as e:
            print(f"{name}\trefused\t{e}")
    print(f"peak-rss-mb\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 check_refusals.py FOLDER")
    main(sys.argv[1])
