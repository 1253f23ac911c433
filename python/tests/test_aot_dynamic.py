"""trop-compile on a model with a dynamic batch: a PyTorch model exported
through ONNX with ``dynamic_axes`` (and the same model through
``trop.export(dynamic_batch=True)``) compiles ahead of time to one object,
which a C program runs on several batch sizes; the results agree with
PyTorch eager (docs/aot.md, "Any batch size")."""

import io
import os
import shutil
import subprocess

import numpy as np
import pytest

import trop

torch = pytest.importorskip("torch")
onnx = pytest.importorskip("onnx")

CC = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
BUILD = os.environ.get("TROP_BUILD_DIR", "")
COMPILER = os.path.join(BUILD, "bin", "trop-compile")

MAIN = r"""
#include "model.h"
#include <stdio.h>
#include <stdlib.h>
/* app BATCH IN OUT: reads BATCH x 3 x 8 x 8 floats, writes BATCH x 5. */
int main(int argc, char **argv) {
  int64_t batch = atoll(argv[1]), sizes[2] = {0, 0};
  size_t n = (size_t)batch * 3 * 8 * 8;
  float *x = malloc(n * sizeof *x), *y = malloc((size_t)batch * 5 * sizeof *y);
  FILE *in = fopen(argv[2], "rb");
  if (fread(x, sizeof *x, n, in) != n)
    return 2;
  fclose(in);
  int status = forward(x, batch, y, batch * 5, sizes);
  if (status != 0 || sizes[0] != batch || sizes[1] != 5)
    return 3;
  FILE *out = fopen(argv[3], "wb");
  fwrite(y, sizeof *y, (size_t)batch * 5, out);
  fclose(out);
  free(x);
  free(y);
  return 0;
}
"""


class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3, padding=1)
        self.fc = torch.nn.Linear(4 * 4 * 4, 5)

    def forward(self, x):
        y = torch.nn.functional.max_pool2d(torch.relu(self.conv(x)), 2)
        return self.fc(torch.flatten(y, 1))


def onnx_text(net):
    buf = io.BytesIO()
    torch.onnx.export(net, torch.randn(2, 3, 8, 8), buf, input_names=["x"],
                      output_names=["y"], opset_version=13,
                      dynamic_axes={"x": {0: "batch"}, "y": {0: "batch"}})
    return trop.import_onnx(buf.getvalue())


@pytest.mark.skipif(CC is None or not os.path.exists(COMPILER),
                    reason="needs a C compiler and trop-compile (TROP_BUILD_DIR)")
@pytest.mark.parametrize("front", ["onnx", "export"])
def test_dynamic_batch_object_runs_every_batch(tmp_path, front):
    torch.manual_seed(0)
    net = Net().eval()
    if front == "onnx":
        text = onnx_text(net)
    else:
        text = trop.export(net, torch.randn(2, 3, 8, 8), dynamic_batch=True)
    assert "tensor<?x3x8x8xf32>" in text
    (tmp_path / "model.mlir").write_text(text)
    subprocess.run([COMPILER, str(tmp_path / "model.mlir"), "--entry", "forward",
                    "-o", str(tmp_path / "model.o")], check=True)
    (tmp_path / "main.c").write_text(MAIN)
    subprocess.run([CC, "-std=c11", "-O1", "-I", str(tmp_path), str(tmp_path / "main.c"),
                    str(tmp_path / "model.o"), "-lm", "-o", str(tmp_path / "app")],
                   check=True)
    for batch in (1, 3, 7):
        x = torch.randn(batch, 3, 8, 8)
        x.numpy().tofile(tmp_path / "x.bin")
        subprocess.run([str(tmp_path / "app"), str(batch), str(tmp_path / "x.bin"),
                        str(tmp_path / "y.bin")], check=True)
        y = np.fromfile(tmp_path / "y.bin", dtype=np.float32).reshape(batch, 5)
        with torch.no_grad():
            want = net(x).numpy()
        np.testing.assert_allclose(y, want, rtol=1e-5, atol=1e-5)
