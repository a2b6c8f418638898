package store

import (
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"time"
)

// batchEncoding is Crockford's base32 alphabet in lower case: ordered like
// ASCII, so encoded ids sort like the bytes they encode.
var batchEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// NewBatchID returns a new batch id: 16 characters, unique, and sorting in
// creation order (48 bits of Unix milliseconds, then 32 random bits).
func NewBatchID() string {
	var b [10]byte
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(time.Now().UnixMilli()))
	copy(b[:6], ms[2:])
	_, _ = rand.Read(b[6:]) // crypto/rand.Read never fails
	return batchEncoding.EncodeToString(b[:])
}
