"""Reading planners' own files: archives, encodings, CRS, geometry repair, column mapping."""
