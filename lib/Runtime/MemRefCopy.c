/*===- MemRefCopy.c - memref.copy between strided memrefs ----------------===*\
|*                                                                            *|
|* Part of the trop project.                                                  *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/
/*
 * MLIR lowers a memref.copy that is not between contiguous memrefs of one
 * layout to a call of memrefCopy(elementSize, source, destination), with
 * both operands as unranked descriptors; MLIR's libmlir_c_runner_utils
 * provides it to the JIT. This is trop's own, for code compiled ahead of
 * time: an element-by-element copy over any rank and strides.
 */

#include <stdint.h>
#include <string.h>

/* An unranked memref: its rank and a pointer to the ranked descriptor
 * {allocated, aligned, offset, sizes[rank], strides[rank]}. */
typedef struct {
  int64_t rank;
  void *descriptor;
} TropUnrankedMemRef;

typedef struct {
  char *allocated;
  char *aligned;
  int64_t offset;
  int64_t shapeAndStrides[];
} TropRankedMemRef;

/* Copies the elements of dimensions [dim, rank) from `src` to `dst`. */
static void copyDimensions(int64_t dim, int64_t rank, int64_t elementSize,
                           const int64_t *sizes, const int64_t *srcStrides,
                           const int64_t *dstStrides, const char *src,
                           char *dst) {
  if (dim == rank) {
    memcpy(dst, src, (size_t)elementSize);
    return;
  }
  for (int64_t i = 0; i < sizes[dim]; ++i)
    copyDimensions(dim + 1, rank, elementSize, sizes, srcStrides, dstStrides,
                   src + i * srcStrides[dim] * elementSize,
                   dst + i * dstStrides[dim] * elementSize);
}

void memrefCopy(int64_t elementSize, TropUnrankedMemRef *source,
                TropUnrankedMemRef *destination) {
  const TropRankedMemRef *src = (const TropRankedMemRef *)source->descriptor;
  const TropRankedMemRef *dst =
      (const TropRankedMemRef *)destination->descriptor;
  int64_t rank = source->rank;
  copyDimensions(0, rank, elementSize, src->shapeAndStrides,
                 src->shapeAndStrides + rank, dst->shapeAndStrides + rank,
                 src->aligned + src->offset * elementSize,
                 dst->aligned + dst->offset * elementSize);
}
