#include <tether.h>
