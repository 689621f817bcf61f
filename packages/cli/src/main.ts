console.log("l4gw");
