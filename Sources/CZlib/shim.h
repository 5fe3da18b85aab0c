#ifndef RUNNER_CZLIB_SHIM_H
#define RUNNER_CZLIB_SHIM_H

#include <zlib.h>

#endif
