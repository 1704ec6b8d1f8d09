#pragma once
#include <cxh/runner/result.hpp>

namespace cxh::testing {
// A run with every outcome and hostile text: quotes, <>&, </script>, <!--, NUL and control
// bytes, invalid UTF-8, a long body.
runner::run_result nasty_run();
}  // namespace cxh::testing
