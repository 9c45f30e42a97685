"""Published schedules for people: the agent's own week, change notices, wishes and phone
calendar (ICS), and the team grids."""
