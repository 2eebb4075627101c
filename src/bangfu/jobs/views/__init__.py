"""Views of 渝职聘 (thin: selectors read, services write)."""
