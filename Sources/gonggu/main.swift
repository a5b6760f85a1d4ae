print("gonggu")
