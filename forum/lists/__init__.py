"""The lists (三张清单): needs, resources and the projects that join them."""
