"""Plain geospatial functions of the atlas: CRS, GCJ-02, areas, hit-testing."""
