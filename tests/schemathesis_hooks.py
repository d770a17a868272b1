"""Hooks the schemathesis command line loads (``SCHEMATHESIS_HOOKS``): purchase
documents are uploaded as a zip archive, sent as the bytes the fuzzer generates."""

import schemathesis

schemathesis.serializer.alias("application/zip", "application/octet-stream")
