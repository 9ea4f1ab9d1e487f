// libgd (and zlib, for the PNG writer), with the function-like macros Swift cannot import wrapped as functions.
#ifndef VAESCOPE_CGD_SHIM_H
#define VAESCOPE_CGD_SHIM_H
#include <gd.h>
#include <zlib.h>

static inline int vaescope_gd_true_color(int r, int g, int b) { return gdTrueColor(r, g, b); }
static inline int vaescope_gd_true_color_alpha(int r, int g, int b, int a) { return gdTrueColorAlpha(r, g, b, a); }
static inline int vaescope_gd_sx(gdImagePtr im) { return gdImageSX(im); }
static inline int vaescope_gd_sy(gdImagePtr im) { return gdImageSY(im); }
static inline int vaescope_gd_true_color_pixel(gdImagePtr im, int x, int y) { return gdImageTrueColorPixel(im, x, y); }
static inline int **vaescope_gd_tpixels(gdImagePtr im) { return im->tpixels; }

/// deflateInit2 is a macro: zlib stream, `level` 0–9, `strategy` Z_DEFAULT_STRATEGY / Z_RLE / Z_FILTERED.
static inline int vaescope_deflate_init(z_streamp s, int level, int strategy) {
    return deflateInit2(s, level, Z_DEFLATED, 15, 8, strategy);
}
static inline int vaescope_z_rle(void) { return Z_RLE; }
static inline int vaescope_z_finish(void) { return Z_FINISH; }
static inline int vaescope_z_stream_end(void) { return Z_STREAM_END; }
#endif
