"""The document interconnection axis (trục liên thông văn bản): a hub and the client of an agency."""
