// vbinary microkernel types and declarations (see kernels/ukernels.h for the conventions).
#pragma once

#include <cstddef>
#include <cstdint>

#include "params.h"
