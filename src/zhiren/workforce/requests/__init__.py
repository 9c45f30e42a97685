"""Leave and swap requests: asked by agents, checked against skills and labour rules, decided
by the team lead (or approved by the site's rule)."""
