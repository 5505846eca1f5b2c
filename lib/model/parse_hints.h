// Hints added to a manifest's parse error when its cause is a common one
// the reader's own message does not explain: a Helm (Go) template that was
// not rendered, or a plain flow-sequence item ending in ':' (an IPv6 address
// such as 2001:db8::) that go-yaml takes and libyaml does not.
#pragma once

#include "lib/core/status.h"
#include "lib/io/files.h"

namespace meshctl::model {

// `error` ("PATH:LINE:COL: text", from parsing `file`) with a hint appended
// when one applies; otherwise `error` unchanged.
core::Status WithParseHint(const io::InputFile& file, const core::Status& error);

}  // namespace meshctl::model
