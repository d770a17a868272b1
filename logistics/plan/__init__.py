"""The plan builder: a scenario, the data set and orders become the week's routing
problems (direct, consolidated, trunk trips, reuse), with disruptions resolved per day."""
