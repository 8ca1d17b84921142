/** What 个人体检 list and detail do once a 就诊人 is chosen: open the order, go to 体检缴费. */

import { createOrder } from '../../services/orders'
import { rememberPatient } from '../../services/patients'
import { PAGES, goTo, withQuery } from '../../utils/ui'

/** Flow 1: PEIS opens the order; the new charge waits under 待缴费. Resolves false if refused. */
export async function orderAndGoPay(patientId: number, packageCode: string): Promise<boolean> {
  try {
    const charge = await createOrder({ patientId, packageCode })
    rememberPatient(patientId)
    goTo(withQuery(PAGES.pay, { patient_id: patientId, tab: 'unpaid', bill_no: charge.bill_no }))
    return true
  } catch (e) {
    // The request wrapper showed the server's message (e.g. SEX_MISMATCH).
    return false
  }
}
