print("haflow")
