"""Work centers (рабочие центры)."""
