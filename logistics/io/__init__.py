"""Reading input files: tables (CSV, GeoJSON, GeoPackage, YAML) into validated rows."""
