/** Flow 1: PEIS opens the order (开单) and HIS holds the new unpaid charge. */

import { Charge } from './charges'
import { http } from './request'

export function createOrder(input: { patientId: number; packageCode: string }): Promise<Charge> {
  return http
    .post<{ charge: Charge }>('/api/me/orders', { patient_id: input.patientId, package_code: input.packageCode })
    .then((answer) => answer.charge)
}
