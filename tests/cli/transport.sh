# `mpstream transport`: summary keys, rank-count independence (1, 2, 3 ranks), bad input.
source "$(dirname "$0")/lib.sh"
run() { "$@" > "$WORK/log" 2>&1 || fail "exit $?: $* :: $(tail -5 "$WORK/log")"; }
strip() { grep -v -e per_second -e '"ranks"' "$1"; }

run "$MPS" transport bulk --energy 50keV --histories 1500 --out "$WORK/b1"
for k in backscatter_number backscatter_energy csda_range_m depth_peak_m zeta_peak_per_m depth15_m \
         absorbed_energy_fraction histories histories_per_second backscatter_number_stderr \
         backscatter_energy_stderr depth15_m_stderr; do
  grep -q "\"$k\"" "$WORK/b1/summary.json" && ok "bulk key $k" || fail "bulk summary lacks $k"
done
[ -s "$WORK/b1/depth_dose.csv" ] && ok "depth_dose.csv" || fail "no depth_dose.csv"
for np in 2 3; do
  run mpiexec -n $np "$MPS" transport bulk --energy 50keV --histories 1500 --out "$WORK/b$np"
  if diff <(strip "$WORK/b1/summary.json") <(strip "$WORK/b$np/summary.json") > /dev/null; then
    ok "bulk summary identical on $np ranks"
  else
    fail "bulk summary differs on $np ranks"
  fi
done

run "$MPS" transport sphere --energy 150keV --diameter 5um --histories 1000 --out "$WORK/s"
for k in absorbed_energy_fraction electrons_out_per_primary secondary_yield net_charge_per_primary \
         backscatter_number transmitted_number; do
  grep -q "\"$k\"" "$WORK/s/summary.json" && ok "sphere key $k" || fail "sphere summary lacks $k"
done

expect_error 2 "not an energy" "$MPS" transport bulk --energy 5um --histories 10 --out "$WORK/x"
expect_error 2 "diameter" "$MPS" transport sphere --diameter 0um --histories 10 --out "$WORK/x"
finish
