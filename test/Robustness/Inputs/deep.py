"""Prints a function whose body nests scf.execute_region N deep."""
import sys

n = int(sys.argv[1])
body = "scf.yield\n"
for _ in range(n - 1):
    body = "scf.execute_region {\n" + body + "}\nscf.yield\n"
print("func.func @f() {\nscf.execute_region {\n" + body + "}\nreturn\n}")
