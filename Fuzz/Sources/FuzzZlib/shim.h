// zlib, from Debian's zlib1g-dev, for deflate (the fuzz target that gzips its input).
#include <zlib.h>
