;; Line scanner for the event-stream parser (WHATWG HTML 9.2.6, "Interpreting an event stream").
;;
;; Input: `len` bytes of UTF-8 at INPUT (0), made only of complete lines (the last byte is CR or LF).
;; Output: every line end at ENDS (65600) as two i32, [byte offset, UTF-16 offset], the second an
;; offset into the string TextDecoder makes of the same bytes, so that JavaScript classifies lines on
;; the bytes and only slices that string: no indexOf, no charCodeAt.
;;
;; Line ends are found 16 bytes at a time (SIMD) and written without a branch per line. Code units are
;; counted per byte from the same vectors: a continuation byte (0x80-0xBF) adds none, a 4-byte lead
;; two, any other byte one. That holds only for valid UTF-8 (TextDecoder writes one U+FFFD per maximal
;; invalid subpart), so the bytes of every block with a non-ASCII byte are validated, and `scan`
;; returns -1 on invalid input: the caller then parses that text without the ends.
(module
  ;; 0: input (65536 bytes, then slack for vector loads past the end); 65592: the UTF-16 code units of
  ;; the input (valid scans only, for the caller to check against its text); 65596: 1 when the input holds
  ;; a NUL byte (an `id:` value must then be checked for one); 65600: the line ends.
  (memory (export "memory") 10)

  ;; Checks the UTF-8 sequence whose lead byte is at $i (Unicode table 3-7, well-formed byte
  ;; sequences); returns where the next sequence starts, or -1 when it is not well-formed or is cut
  ;; by the end of the input.
  (func $sequence (param $i i32) (param $len i32) (result i32)
    (local $c i32) (local $n i32) (local $lo i32) (local $hi i32) (local $k i32)
    (local.set $c (i32.load8_u (local.get $i)))
    (if (i32.lt_u (local.get $c) (i32.const 0xc2)) (then (return (i32.const -1))))
    (local.set $lo (i32.const 0x80))
    (local.set $hi (i32.const 0xbf))
    (if (i32.lt_u (local.get $c) (i32.const 0xe0))
      (then (local.set $n (i32.const 1)))
      (else
        (if (i32.lt_u (local.get $c) (i32.const 0xf0))
          (then
            (local.set $n (i32.const 2))
            (if (i32.eq (local.get $c) (i32.const 0xe0)) (then (local.set $lo (i32.const 0xa0))))
            (if (i32.eq (local.get $c) (i32.const 0xed)) (then (local.set $hi (i32.const 0x9f)))))
          (else
            (if (i32.ge_u (local.get $c) (i32.const 0xf5)) (then (return (i32.const -1))))
            (local.set $n (i32.const 3))
            (if (i32.eq (local.get $c) (i32.const 0xf0)) (then (local.set $lo (i32.const 0x90))))
            (if (i32.eq (local.get $c) (i32.const 0xf4)) (then (local.set $hi (i32.const 0x8f))))))))
    (if (i32.ge_u (i32.add (local.get $i) (local.get $n)) (local.get $len)) (then (return (i32.const -1))))
    (local.set $c (i32.load8_u offset=1 (local.get $i)))
    (if (i32.or (i32.lt_u (local.get $c) (local.get $lo)) (i32.gt_u (local.get $c) (local.get $hi)))
      (then (return (i32.const -1))))
    (local.set $k (i32.const 2))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (local.get $k) (local.get $n)))
        (if (i32.ne
              (i32.and (i32.load8_u (i32.add (local.get $i) (local.get $k))) (i32.const 0xc0))
              (i32.const 0x80))
          (then (return (i32.const -1))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (i32.add (local.get $i) (i32.add (local.get $n) (i32.const 1))))

  ;; Writes the line end at the lowest set bit of $m (any value when $m is 0: the caller moves its
  ;; pointer only past real ends): its byte offset, and its UTF-16 offset, $base plus the code units
  ;; of the block's bytes before it ($units: one bit per unit, low half and high half).
  (func $writeEnd (param $at i32) (param $b i32) (param $m i32) (param $base i32) (param $units i32)
    (local $p i32)
    (local.set $p (i32.ctz (local.get $m)))
    (i32.store (local.get $at) (i32.add (local.get $b) (local.get $p)))
    (i32.store offset=4 (local.get $at)
      (i32.add (local.get $base)
        (i32.popcnt
          (i32.and (local.get $units)
            (i32.mul (i32.sub (i32.shl (i32.const 1) (local.get $p)) (i32.const 1)) (i32.const 0x10001)))))))

  ;; Scans the first $len bytes (1 to 65536); returns the number of line ends written, or -1 when the
  ;; bytes are not valid UTF-8.
  (func (export "scan") (param $len i32) (result i32)
    (local $b i32) (local $v v128) (local $keep i32) (local $cr i32) (local $lf i32) (local $m i32)
    (local $carry i32) (local $high i32) (local $units i32) (local $base i32) (local $valid i32)
    (local $skip i32) (local $out i32) (local $n i32) (local $nuls v128)
    (local.set $out (i32.const 65600))
    (block $end
      (loop $block
        (br_if $end (i32.ge_u (local.get $b) (local.get $len)))
        (local.set $v (v128.load (local.get $b)))
        (local.set $keep (i32.const 0xffff))
        (if (i32.gt_u (i32.add (local.get $b) (i32.const 16)) (local.get $len))
          (then
            (local.set $keep
              (i32.sub (i32.shl (i32.const 1) (i32.sub (local.get $len) (local.get $b))) (i32.const 1)))
            ;; Bytes past the input count for nothing: they become spaces (no line end, no NUL, ASCII).
            (local.set $v
              (v128.bitselect (local.get $v)
                (v128.const i8x16 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32 32)
                (i8x16.gt_u
                  (i8x16.splat (i32.sub (local.get $len) (local.get $b)))
                  (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15))))))
        (local.set $cr
          (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13 13))))
        (local.set $lf
          (i8x16.bitmask (i8x16.eq (local.get $v) (v128.const i8x16 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10 10))))
        ;; [spec] lines end with CRLF, a lone LF or a lone CR: a LF right after a CR ends no line.
        (local.set $m
          (i32.or (local.get $cr)
            (i32.and (local.get $lf)
              (i32.xor (i32.or (i32.shl (local.get $cr) (i32.const 1)) (local.get $carry)) (i32.const -1)))))
        (local.set $carry (i32.shr_u (local.get $cr) (i32.const 15)))
        (local.set $nuls
          (v128.or (local.get $nuls) (i8x16.eq (local.get $v) (v128.const i64x2 0 0))))
        (local.set $high (i8x16.bitmask (local.get $v)))
        (if (i32.eqz (local.get $high))
          (then (local.set $units (local.get $keep)))
          (else
            (local.set $units
              (i32.and (i32.mul (local.get $keep) (i32.const 0x10001))
                (i32.or
                  (i8x16.bitmask
                    (i8x16.gt_s (local.get $v)
                      (v128.const i8x16 -65 -65 -65 -65 -65 -65 -65 -65 -65 -65 -65 -65 -65 -65 -65 -65)))
                  (i32.shl
                    (i8x16.bitmask
                      (i8x16.ge_u (local.get $v)
                        (v128.const i8x16 -16 -16 -16 -16 -16 -16 -16 -16 -16 -16 -16 -16 -16 -16 -16 -16)))
                    (i32.const 16)))))
            ;; Validate each sequence starting in this block: the first non-ASCII byte at or after
            ;; $valid (a sequence boundary: the bytes between are ASCII) must lead a sequence.
            (block $checked
              (loop $check
                (local.set $skip (i32.sub (local.get $valid) (local.get $b)))
                (br_if $checked (i32.ge_s (local.get $skip) (i32.const 16)))
                (if (i32.gt_s (local.get $skip) (i32.const 0))
                  (then (local.set $high (i32.and (local.get $high) (i32.shl (i32.const -1) (local.get $skip))))))
                (br_if $checked (i32.eqz (local.get $high)))
                (local.set $valid
                  (call $sequence (i32.add (local.get $b) (i32.ctz (local.get $high))) (local.get $len)))
                (if (i32.lt_s (local.get $valid) (i32.const 0)) (then (return (i32.const -1))))
                (br $check)))))
        ;; Two ends are written whatever the block holds (most hold none to two); the pointer moves
        ;; by the real number, and a block with more writes the rest in a loop.
        (local.set $n (i32.popcnt (local.get $m)))
        (call $writeEnd (local.get $out) (local.get $b) (local.get $m) (local.get $base) (local.get $units))
        (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
        (call $writeEnd (i32.add (local.get $out) (i32.const 8)) (local.get $b) (local.get $m) (local.get $base) (local.get $units))
        (if (i32.gt_u (local.get $n) (i32.const 2))
          (then
            (local.set $skip (i32.add (local.get $out) (i32.const 16)))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (block $rest_done
              (loop $rest
                (br_if $rest_done (i32.eqz (local.get $m)))
                (call $writeEnd (local.get $skip) (local.get $b) (local.get $m) (local.get $base) (local.get $units))
                (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
                (local.set $skip (i32.add (local.get $skip) (i32.const 8)))
                (br $rest)))))
        (local.set $out (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 3))))
        (local.set $base (i32.add (local.get $base) (i32.popcnt (local.get $units))))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $block)))
    (i32.store (i32.const 65592) (local.get $base))
    (i32.store (i32.const 65596) (v128.any_true (local.get $nuls)))
    (i32.shr_u (i32.sub (local.get $out) (i32.const 65600)) (i32.const 3)))

  ;; UTF-16 text for the eventsource-parser compatible API: the first $len code units at INPUT (0), followed by
  ;; at least 8 units that are neither CR nor LF (the caller writes them). Writes the unit offset of every line end
  ;; (a lone LF, a lone CR, the CR of a CRLF) at ENDS as one i32, 8 units at a time (SIMD); returns how many.
  (func (export "scan16") (param $len i32) (result i32)
    (local $u i32) (local $v v128) (local $cr i32) (local $m i32) (local $carry i32) (local $out i32)
    (local.set $out (i32.const 65600))
    (block $end
      (loop $block
        (br_if $end (i32.ge_u (local.get $u) (local.get $len)))
        (local.set $v (v128.load (i32.shl (local.get $u) (i32.const 1))))
        (local.set $cr (i16x8.bitmask (i16x8.eq (local.get $v) (v128.const i16x8 13 13 13 13 13 13 13 13))))
        ;; [spec] lines end with CRLF, a lone LF or a lone CR: a LF right after a CR ends no line.
        (local.set $m
          (i32.or (local.get $cr)
            (i32.and (i16x8.bitmask (i16x8.eq (local.get $v) (v128.const i16x8 10 10 10 10 10 10 10 10)))
              (i32.xor (i32.or (i32.shl (local.get $cr) (i32.const 1)) (local.get $carry)) (i32.const -1)))))
        (local.set $carry (i32.shr_u (local.get $cr) (i32.const 7)))
        (block $written
          (loop $write
            (br_if $written (i32.eqz (local.get $m)))
            (i32.store (local.get $out) (i32.add (local.get $u) (i32.ctz (local.get $m))))
            (local.set $out (i32.add (local.get $out) (i32.const 4)))
            (local.set $m (i32.and (local.get $m) (i32.sub (local.get $m) (i32.const 1))))
            (br $write)))
        (local.set $u (i32.add (local.get $u) (i32.const 8)))
        (br $block)))
    (i32.shr_u (i32.sub (local.get $out) (i32.const 65600)) (i32.const 2)))
)
