"""The domain: sites, categories, vehicles and orders; the study data set; demand; emission
and cost factor tables."""
