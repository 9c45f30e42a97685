"""Planning a site: queues, shift templates, rules, events and holidays; forecasts and staffing."""
