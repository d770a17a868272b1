"""One router per resource, all under :data:`API_PREFIX`."""

API_PREFIX = "/v1"
