// libheif (Debian's libheif-dev): HEIC, HEIF and AVIF stills. Its header needs no macro shims.
#include <libheif/heif.h>
