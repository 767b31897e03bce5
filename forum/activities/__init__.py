"""Activities (活动清单): events that residents and volunteers sign up to, and volunteer hours."""
