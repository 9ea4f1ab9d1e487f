// cairo with its PDF surface: the vector figures LaTeX includes (\includegraphics of the site's .pdf files).
#ifndef VAESCOPE_CCAIRO_SHIM_H
#define VAESCOPE_CCAIRO_SHIM_H
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
#endif
