"""The domain: sites, categories, vehicles and orders; the data set; demand; emission
and cost factor tables."""
