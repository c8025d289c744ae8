"""The layer registry, layer loading and the folium map builder of the atlas."""
