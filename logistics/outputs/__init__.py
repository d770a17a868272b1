"""What a run leaves behind: the result folder and the tables people read."""
