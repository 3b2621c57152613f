// zlib, from Debian's zlib1g-dev (libz-dev).
#include <zlib.h>
