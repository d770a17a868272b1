"""The plan builder: a scenario, the study data and orders become the week's routing
problems (direct, consolidated, trunk trips, reuse), with disruptions resolved per day."""
