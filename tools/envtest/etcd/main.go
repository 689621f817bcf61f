// Command etcd is the upstream etcd server, built from the Go module proxy; it is exactly etcd's
// own server/main.go, which calls etcdmain.Main with the process arguments.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
