;; The WebAssembly SIMD scanner behind @smtpkit/wire's DataDecoder (packages/wire/src/data).
;;
;; RFC 5321 §4.5.2: "If the line is composed of a single period, it is treated as the end of mail
;; indicator. If the first character is a period and there are other characters on the line, the
;; first character is deleted." RFC 5321 §2.3.8: "Conforming implementations MUST NOT recognize or
;; generate any other character or character sequence as a line terminator." RFC 5321 §4.5.3.1.6:
;; "The maximum total length of a text line including the <CRLF> is 1000 octets (not counting the
;; leading dot duplicated for transparency)."
;;
;; `scan` reads a window of message data that the decoder copied into this memory and walks it as
;; the decoder would in its MID state (inside a line, no CR pending). It writes one event per byte
;; the decoder must act on, and stops only where the decoder must decide with bytes it has not
;; copied, or where a line became too long. Events are i32 words `address << 2 | kind`:
;;   kind 0: a line-initial "." followed by a byte other than CR (the dot is deleted);
;;   kind 1: a bare LF (only when bit 0 of `flags` is set);
;;   kind 2: a bare CR (only when bit 1 of `flags` is set).
;; It returns the address where it stopped and writes a header at address 0:
;;   [0] the decoder state there (0 MID, 1 AFTER_CR, 2 LINE_START), [4] the address of the first
;;   counted octet of the current line (after a deleted dot), [8] the address of the line's first
;;   octet, [12] the number of events.
;; It stops (1) at `end`; (2) at a line-initial "." followed by CR, or that is the last byte, in
;; state LINE_START (the decoder decides between end of data and a bare CR); (3) in state MID just
;; after the octet that makes the line longer than `max` counted octets.
;;
;; Fast path: 64 octets per round, as four v128 compares of each octet and of the octet before it
;; (an unaligned load one address lower): every LF must follow a CR and every CR must precede an LF;
;; a line-initial "." becomes an event unless a CR follows it. Any other case, a line that might be
;; too long, and the last partial round are walked one octet at a time by the exact state machine.
(module
  (memory (export "memory") 6)

  (func (export "scan")
    (param $start i32) (param $end i32) (param $ls i32) (param $max i32) (param $flags i32)
    (param $evBase i32)
    (result i32)
    (local $p i32) (local $x i32) (local $st i32) (local $ev i32) (local $lfirst i32)
    (local $u i32) (local $lfBlock i32) (local $limit i32) (local $q i32) (local $c i32)
    (local $m i64) (local $w i64) (local $d i32)
    (local $vcr v128) (local $vlf v128) (local $vdot v128)
    (local $cur v128) (local $prv v128) (local $lf v128)
    (local $bad v128) (local $dl v128) (local $any v128)
    (local.set $vcr (i8x16.splat (i32.const 13)))
    (local.set $vlf (i8x16.splat (i32.const 10)))
    (local.set $vdot (i8x16.splat (i32.const 46)))
    (local.set $ev (local.get $evBase))
    (local.set $lfirst (local.get $ls))
    (local.set $x (local.get $start))
    (local.set $st (i32.const 0))
    ;; Zeros after the window let the last partial round take the fast path: a zero octet is
    ;; ordinary, so any event the round reports lies inside the window.
    (v128.store (local.get $end) (v128.const i64x2 0 0))
    (v128.store offset=16 (local.get $end) (v128.const i64x2 0 0))
    (v128.store offset=32 (local.get $end) (v128.const i64x2 0 0))
    (v128.store offset=48 (local.get $end) (v128.const i64x2 0 0))

    (block $done
      (loop $phase
        ;; ---- fast path, entered at $x in state $st ----
        (local.set $p (local.get $x))
        ;; Entered at a line start on a "." that the first round lists as an event: the dot is
        ;; not counted (the octets after it are), so the line's count starts after it.
        (if (i32.eq (local.get $st) (i32.const 2))
          (then
            (if (i32.eq (i32.load8_u (local.get $x)) (i32.const 46))
              (then (local.set $ls (i32.add (local.get $x) (i32.const 1)))))))
        (local.set $u (local.get $ls))
        (local.set $lfBlock (i32.const -1))
        (block $slow
          ;; The octet before $p must tell the state: CR ⇔ AFTER_CR, LF ⇔ LINE_START.
          (local.set $c (i32.load8_u (i32.sub (local.get $p) (i32.const 1))))
          (br_if $slow
            (i32.ne (i32.eq (local.get $c) (i32.const 13)) (i32.eq (local.get $st) (i32.const 1))))
          (br_if $slow
            (i32.ne (i32.eq (local.get $c) (i32.const 10)) (i32.eq (local.get $st) (i32.const 2))))
          (loop $fast
            (br_if $slow (i32.ge_u (local.get $p) (local.get $end)))
            ;; A line that might pass `max` in this round is walked exactly.
            (br_if $slow
              (i32.gt_s (i32.sub (i32.add (local.get $p) (i32.const 64)) (local.get $u))
                (local.get $max)))
            ;; octets 0..15
            (local.set $cur (v128.load (local.get $p)))
            (local.set $prv (v128.load offset=0 (i32.sub (local.get $p) (i32.const 1))))
            (local.set $lf (i8x16.eq (local.get $cur) (local.get $vlf)))
            (local.set $bad (v128.xor (local.get $lf) (i8x16.eq (local.get $prv) (local.get $vcr))))
            (local.set $dl
              (v128.and (i8x16.eq (local.get $cur) (local.get $vdot))
                (i8x16.eq (local.get $prv) (local.get $vlf))))
            (local.set $any (local.get $lf))
            ;; octets 16..31
            (local.set $cur (v128.load offset=16 (local.get $p)))
            (local.set $prv (v128.load offset=15 (local.get $p)))
            (local.set $lf (i8x16.eq (local.get $cur) (local.get $vlf)))
            (local.set $bad
              (v128.or (local.get $bad)
                (v128.xor (local.get $lf) (i8x16.eq (local.get $prv) (local.get $vcr)))))
            (local.set $dl
              (v128.or (local.get $dl)
                (v128.and (i8x16.eq (local.get $cur) (local.get $vdot))
                  (i8x16.eq (local.get $prv) (local.get $vlf)))))
            (local.set $any (v128.or (local.get $any) (local.get $lf)))
            ;; octets 32..47
            (local.set $cur (v128.load offset=32 (local.get $p)))
            (local.set $prv (v128.load offset=31 (local.get $p)))
            (local.set $lf (i8x16.eq (local.get $cur) (local.get $vlf)))
            (local.set $bad
              (v128.or (local.get $bad)
                (v128.xor (local.get $lf) (i8x16.eq (local.get $prv) (local.get $vcr)))))
            (local.set $dl
              (v128.or (local.get $dl)
                (v128.and (i8x16.eq (local.get $cur) (local.get $vdot))
                  (i8x16.eq (local.get $prv) (local.get $vlf)))))
            (local.set $any (v128.or (local.get $any) (local.get $lf)))
            ;; octets 48..63
            (local.set $cur (v128.load offset=48 (local.get $p)))
            (local.set $prv (v128.load offset=47 (local.get $p)))
            (local.set $lf (i8x16.eq (local.get $cur) (local.get $vlf)))
            (local.set $bad
              (v128.or (local.get $bad)
                (v128.xor (local.get $lf) (i8x16.eq (local.get $prv) (local.get $vcr)))))
            (local.set $dl
              (v128.or (local.get $dl)
                (v128.and (i8x16.eq (local.get $cur) (local.get $vdot))
                  (i8x16.eq (local.get $prv) (local.get $vlf)))))
            (local.set $any (v128.or (local.get $any) (local.get $lf)))

            (if (v128.any_true (v128.or (local.get $bad) (local.get $dl)))
              (then
                ;; A lone CR or LF: walk this round exactly.
                (br_if $slow (v128.any_true (local.get $bad)))
                ;; Only line-initial dots: mask of their positions.
                (local.set $m
                  (i64.or
                    (i64.or
                      (i64.extend_i32_u (i8x16.bitmask
                        (v128.and
                          (i8x16.eq (v128.load (local.get $p)) (local.get $vdot))
                          (i8x16.eq (v128.load offset=0 (i32.sub (local.get $p) (i32.const 1)))
                            (local.get $vlf)))))
                      (i64.shl (i64.extend_i32_u (i8x16.bitmask
                        (v128.and
                          (i8x16.eq (v128.load offset=16 (local.get $p)) (local.get $vdot))
                          (i8x16.eq (v128.load offset=15 (local.get $p)) (local.get $vlf)))))
                        (i64.const 16)))
                    (i64.or
                      (i64.shl (i64.extend_i32_u (i8x16.bitmask
                        (v128.and
                          (i8x16.eq (v128.load offset=32 (local.get $p)) (local.get $vdot))
                          (i8x16.eq (v128.load offset=31 (local.get $p)) (local.get $vlf)))))
                        (i64.const 32))
                      (i64.shl (i64.extend_i32_u (i8x16.bitmask
                        (v128.and
                          (i8x16.eq (v128.load offset=48 (local.get $p)) (local.get $vdot))
                          (i8x16.eq (v128.load offset=47 (local.get $p)) (local.get $vlf)))))
                        (i64.const 48)))))
                ;; A "." followed by CR (maybe the end of the data), or one that is the last copied
                ;; octet: the dots before it are events, and the scan stops on it in LINE_START.
                (local.set $w (local.get $m))
                (local.set $d (i32.const -1))
                (block $checked
                  (loop $check
                    (br_if $checked (i64.eqz (local.get $w)))
                    (local.set $q (i32.add (local.get $p) (i32.wrap_i64 (i64.ctz (local.get $w)))))
                    (if (i32.or
                          (i32.ge_u (i32.add (local.get $q) (i32.const 1)) (local.get $end))
                          (i32.eq (i32.load8_u offset=1 (local.get $q)) (i32.const 13)))
                      (then
                        (local.set $d (local.get $q))
                        (local.set $m
                          (i64.and (local.get $m)
                            (i64.sub
                              (i64.shl (i64.const 1) (i64.ctz (local.get $w)))
                              (i64.const 1))))
                        (br $checked)))
                    (local.set $w (i64.and (local.get $w) (i64.sub (local.get $w) (i64.const 1))))
                    (br $check)))
                (loop $record
                  (if (i64.ne (local.get $m) (i64.const 0))
                    (then
                      (i32.store (local.get $ev)
                        (i32.shl
                          (i32.add (local.get $p) (i32.wrap_i64 (i64.ctz (local.get $m))))
                          (i32.const 2)))
                      (local.set $ev (i32.add (local.get $ev) (i32.const 4)))
                      (local.set $m
                        (i64.and (local.get $m) (i64.sub (local.get $m) (i64.const 1))))
                      (br $record))))
                (if (i32.ne (local.get $d) (i32.const -1))
                  (then
                    (local.set $x (local.get $d))
                    (local.set $st (i32.const 2))
                    (local.set $ls (local.get $d))
                    (local.set $lfirst (local.get $d))
                    (br $done)))))
            (if (v128.any_true (local.get $any))
              (then
                (local.set $lfBlock (local.get $p))
                (local.set $u (local.get $p))))
            (local.set $p (i32.add (local.get $p) (i32.const 64)))
            (br $fast)))

        ;; ---- exact walk from $p: the state follows from the octet before it ----
        ;; A last partial round read the zero padding: resume at the end instead.
        (if (i32.gt_u (local.get $p) (local.get $end)) (then (local.set $p (local.get $end))))
        (local.set $c (i32.load8_u (i32.sub (local.get $p) (i32.const 1))))
        (if (i32.ne (local.get $p) (local.get $x))
          (then
            (local.set $st
              (select (i32.const 1)
                (select (i32.const 2) (i32.const 0) (i32.eq (local.get $c) (i32.const 10)))
                (i32.eq (local.get $c) (i32.const 13))))
            ;; Every LF the fast path passed ended a line: the last one starts the current line.
            (if (i32.ne (local.get $lfBlock) (i32.const -1))
              (then
                (local.set $q (i32.sub (local.get $p) (i32.const 1)))
                (block $found
                  (loop $back
                    (br_if $found (i32.eq (i32.load8_u (local.get $q)) (i32.const 10)))
                    (local.set $q (i32.sub (local.get $q) (i32.const 1)))
                    (br $back)))
                (local.set $lfirst (i32.add (local.get $q) (i32.const 1)))
                (local.set $ls (local.get $lfirst))
                (if (i32.lt_u (local.get $lfirst) (local.get $p))
                  (then
                    (if (i32.eq (i32.load8_u (local.get $lfirst)) (i32.const 46))
                      (then (local.set $ls (i32.add (local.get $lfirst) (i32.const 1)))))))))))
        (local.set $x (local.get $p))
        (local.set $limit (i32.add (local.get $p) (i32.const 64)))
        (loop $walk
          (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
          (br_if $phase (i32.ge_u (local.get $x) (local.get $limit)))
          (local.set $c (i32.load8_u (local.get $x)))
          ;; MID
          (if (i32.eqz (local.get $st))
            (then
              (if (i32.eq (local.get $c) (i32.const 13))
                (then
                  (local.set $x (i32.add (local.get $x) (i32.const 1)))
                  (local.set $st (i32.const 1))
                  (br $walk)))
              (if (i32.eq (local.get $c) (i32.const 10))
                (then
                  ;; A bare LF: ends nothing, starts no line for unstuffing, restarts the count.
                  (if (i32.and (local.get $flags) (i32.const 1))
                    (then
                      (i32.store (local.get $ev)
                        (i32.or (i32.shl (local.get $x) (i32.const 2)) (i32.const 1)))
                      (local.set $ev (i32.add (local.get $ev) (i32.const 4)))))
                  (local.set $x (i32.add (local.get $x) (i32.const 1)))
                  (local.set $ls (local.get $x))
                  (local.set $lfirst (local.get $x))
                  (br $walk)))
              (local.set $x (i32.add (local.get $x) (i32.const 1)))
              (br_if $done (i32.gt_s (i32.sub (local.get $x) (local.get $ls)) (local.get $max)))
              (br $walk)))
          ;; AFTER_CR
          (if (i32.eq (local.get $st) (i32.const 1))
            (then
              (if (i32.eq (local.get $c) (i32.const 10))
                (then
                  (local.set $x (i32.add (local.get $x) (i32.const 1)))
                  (local.set $ls (local.get $x))
                  (local.set $lfirst (local.get $x))
                  (local.set $st (i32.const 2))
                  (br $walk)))
              ;; The CR before $x is bare.
              (if (i32.and (local.get $flags) (i32.const 2))
                (then
                  (i32.store (local.get $ev)
                    (i32.or
                      (i32.shl (i32.sub (local.get $x) (i32.const 1)) (i32.const 2))
                      (i32.const 2)))
                  (local.set $ev (i32.add (local.get $ev) (i32.const 4)))))
              (local.set $ls (local.get $x))
              (local.set $lfirst (local.get $x))
              (local.set $st (i32.const 0))
              (br $walk)))
          ;; LINE_START
          (if (i32.eq (local.get $c) (i32.const 46))
            (then
              (local.set $ls (local.get $x))
              (br_if $done (i32.ge_u (i32.add (local.get $x) (i32.const 1)) (local.get $end)))
              (br_if $done (i32.eq (i32.load8_u offset=1 (local.get $x)) (i32.const 13)))
              (i32.store (local.get $ev) (i32.shl (local.get $x) (i32.const 2)))
              (local.set $ev (i32.add (local.get $ev) (i32.const 4)))
              (local.set $x (i32.add (local.get $x) (i32.const 1)))
              (local.set $ls (local.get $x))))
          (local.set $st (i32.const 0))
          (br $walk))))

    (i32.store (i32.const 0) (local.get $st))
    (i32.store (i32.const 4) (local.get $ls))
    (i32.store (i32.const 8) (local.get $lfirst))
    (i32.store (i32.const 12)
      (i32.shr_u (i32.sub (local.get $ev) (local.get $evBase)) (i32.const 2)))
    (local.get $x)))
