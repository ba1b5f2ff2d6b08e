"""Wire protocol, HTTP client and push/pull engine. No Qt."""
