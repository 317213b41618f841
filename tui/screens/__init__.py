"""One screen a file: the three modes and the modals they open."""
