// libgd (and zlib, whose crc32 the PNG writer uses), with the function-like macros Swift cannot import wrapped as functions.
#ifndef VAESCOPE_CGD_SHIM_H
#define VAESCOPE_CGD_SHIM_H
#include <gd.h>
#include <zlib.h>

static inline int vaescope_gd_true_color(int r, int g, int b) { return gdTrueColor(r, g, b); }
static inline int vaescope_gd_true_color_alpha(int r, int g, int b, int a) { return gdTrueColorAlpha(r, g, b, a); }
static inline int vaescope_gd_sx(gdImagePtr im) { return gdImageSX(im); }
static inline int vaescope_gd_sy(gdImagePtr im) { return gdImageSY(im); }
static inline int **vaescope_gd_tpixels(gdImagePtr im) { return im->tpixels; }

#endif
