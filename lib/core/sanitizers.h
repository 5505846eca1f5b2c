// Whether this build runs under AddressSanitizer (and so LeakSanitizer), for
// the few places that must do something different there. GCC defines
// __SANITIZE_ADDRESS__; clang answers __has_feature(address_sanitizer).
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#define MESHCTL_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MESHCTL_ASAN 1
#endif
#endif
